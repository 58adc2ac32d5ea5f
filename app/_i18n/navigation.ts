// Locale-aware Link, redirect and pathname hooks: a link to `/kommune/0301` on an English page goes to
// `/en/kommune/0301`, on a bokmål page to the published path as it is.
import { createNavigation } from 'next-intl/navigation';
import { routing } from './routing.ts';

export const { Link, redirect, usePathname, getPathname } = createNavigation(routing);
