import { render } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { BucketPage } from './bucket';
import { BucketSettingsPage } from './bucket-settings';
import { BucketsPage } from './buckets';
import { ErrorMessage } from './common';
import { ObjectPage } from './object';
import { href, useRoute, type Route } from './router';
import type { ConsoleConfig, Session } from './s3';
import { SignIn } from './sign-in';
import { UserPage, UsersPage } from './users';
import './styles.css';

function App() {
  const [config, setConfig] = useState<ConsoleConfig | null>(null);
  const [configError, setConfigError] = useState<unknown>(null);
  const [session, setSession] = useState<Session | null>(null);
  const route = useRoute();

  useEffect(() => {
    fetch('config.json')
      .then((r) => (r.ok ? (r.json() as Promise<ConsoleConfig>) : Promise.reject(new Error(`config.json: HTTP ${r.status}`))))
      .then(setConfig, setConfigError);
  }, []);

  if (configError) return <ErrorMessage error={configError} />;
  if (!config) return <p aria-busy="true">Loading…</p>;
  if (!session) return <SignIn config={config} onSignedIn={setSession} />;
  return (
    <Shell
      session={session}
      route={route}
      onSignOut={() => {
        session.s3.destroy();
        session.share.destroy();
        session.iam.destroy();
        setSession(null);
      }}
    />
  );
}

function Shell({ session, route, onSignOut }: { session: Session; route: Route; onSignOut: () => void }) {
  const main = useRef<HTMLElement>(null);
  // A new page moves focus to its content, as a page load would, so keyboard and screen reader
  // users start there. In the same commit as the page itself: a field of the new page that is
  // focused as soon as it shows keeps its focus.
  useLayoutEffect(() => {
    main.current?.focus();
  }, [route]);
  return (
    <>
      <a class="skip-link" href="#content" onClick={(e) => (e.preventDefault(), main.current?.focus())}>
        Skip to content
      </a>
      <header class="container">
        <nav aria-label="Main">
          <ul>
            <li>
              <strong>Sediment console</strong>
            </li>
          </ul>
          <ul>
            <li>
              <a href={href({ page: 'buckets' })} aria-current={route.page === 'buckets' ? 'page' : undefined}>
                Buckets
              </a>
            </li>
            <li>
              <a href={href({ page: 'users' })} aria-current={route.page === 'users' || route.page === 'user' ? 'page' : undefined}>
                Users
              </a>
            </li>
            <li>
              <span class="signed-in-as">
                Signed in as <code id="signed-in-key">{session.accessKeyId}</code>
              </span>
            </li>
            <li>
              <button type="button" class="outline" onClick={onSignOut}>
                Sign out
              </button>
            </li>
          </ul>
        </nav>
      </header>
      <main id="content" class="container" tabIndex={-1} ref={main}>
        {route.page === 'buckets' && <BucketsPage session={session} />}
        {route.page === 'bucket' && <BucketPage session={session} bucket={route.bucket} prefix={route.prefix} />}
        {route.page === 'bucket-settings' && <BucketSettingsPage key={route.bucket} session={session} bucket={route.bucket} />}
        {route.page === 'users' && <UsersPage session={session} />}
        {route.page === 'user' && <UserPage key={route.userName} session={session} userName={route.userName} />}
        {route.page === 'object' && <ObjectPage session={session} bucket={route.bucket} key={`${route.bucket}/${route.key}`} objectKey={route.key} />}
      </main>
    </>
  );
}

render(<App />, document.getElementById('app')!);
