// One error shape for every refusal: { error, message, issues?: [{ field, reason }] } (lib/contracts).
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiError, FieldIssue } from '../../lib/contracts/ingest.ts';

export function sendError(reply: FastifyReply, status: number, error: string, message: string, issues?: FieldIssue[]): FastifyReply {
  const body: ApiError = issues ? { error, message, issues } : { error, message };
  return reply.code(status).type('application/json; charset=utf-8').send(body);
}

/** Maps Fastify's own refusals (body size, media type, JSON syntax, rate limit) onto our error shape. */
export function handleFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return sendError(reply, 413, 'payload_too_large', 'The request body is larger than this endpoint accepts');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return sendError(reply, 415, 'unsupported_media_type', 'Send the body as application/json');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return sendError(reply, 400, 'malformed_json', 'The request body is empty; send a JSON object');
  }
  if (error.statusCode === 429) return sendError(reply, 429, 'rate_limited', error.message);
  if (error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return sendError(reply, 400, 'malformed_json', `The request body is not valid JSON: ${error.message}`);
  }
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return sendError(reply, error.statusCode, 'bad_request', error.message);
  }
  request.log.error({ err: error }, 'unhandled error');
  return sendError(reply, 500, 'internal_error', 'Something went wrong on our side; the request may be retried');
}
