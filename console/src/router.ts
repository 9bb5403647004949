import { useEffect, useState } from 'preact/hooks';

/** The console's places, kept in the URL's fragment so links and the back button work. */
export type Route =
  | { page: 'buckets' }
  | { page: 'bucket'; bucket: string; prefix: string }
  | { page: 'object'; bucket: string; key: string }
  | { page: 'bucket-settings'; bucket: string }
  | { page: 'users' }
  | { page: 'user'; userName: string };

export function parseRoute(hash: string): Route {
  const [path, query = ''] = hash.replace(/^#/, '').split('?', 2);
  const params = new URLSearchParams(query);
  const bucket = /^\/b\/([^/]+)$/.exec(path);
  if (bucket) return { page: 'bucket', bucket: decodeURIComponent(bucket[1]), prefix: params.get('prefix') ?? '' };
  const settings = /^\/b\/([^/]+)\/settings$/.exec(path);
  if (settings) return { page: 'bucket-settings', bucket: decodeURIComponent(settings[1]) };
  const object = /^\/o\/([^/]+)$/.exec(path);
  if (object && params.has('key')) return { page: 'object', bucket: decodeURIComponent(object[1]), key: params.get('key') ?? '' };
  if (path === '/users') return { page: 'users' };
  const user = /^\/users\/([^/]+)$/.exec(path);
  if (user) return { page: 'user', userName: decodeURIComponent(user[1]) };
  return { page: 'buckets' };
}

export function href(route: Route): string {
  switch (route.page) {
    case 'buckets':
      return '#/';
    case 'bucket':
      return `#/b/${encodeURIComponent(route.bucket)}${route.prefix ? `?${new URLSearchParams({ prefix: route.prefix })}` : ''}`;
    case 'object':
      return `#/o/${encodeURIComponent(route.bucket)}?${new URLSearchParams({ key: route.key })}`;
    case 'bucket-settings':
      return `#/b/${encodeURIComponent(route.bucket)}/settings`;
    case 'users':
      return '#/users';
    case 'user':
      return `#/users/${encodeURIComponent(route.userName)}`;
  }
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const changed = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', changed);
    return () => removeEventListener('hashchange', changed);
  }, []);
  return route;
}
