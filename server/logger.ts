import pino, { type Logger } from 'pino';

export function createLogger(level: string, name = 'valgvakt'): Logger {
  return pino({ name, level });
}
