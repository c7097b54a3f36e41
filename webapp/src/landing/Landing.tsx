// The landing page: one button makes a new room with an unguessable name, a field joins a
// room by name, and a line says whether the server is ready (in plain words when it is not).
import { useEffect, useRef, useState } from 'preact/hooks';
import { carriedQuery, type AppConfig } from '../common/config.js';
import { PlusIcon } from '../common/icons.js';
import { newRoomId, roomPath, tidyRoomName } from '../common/roomName.js';
import { checkHealth, initialReport, type Check, type HealthReport } from './health.js';

export function Landing({ config }: { config: AppConfig }) {
  const [health, setHealth] = useState<HealthReport>(initialReport());
  const [done, setDone] = useState(false);
  const [name, setName] = useState('');
  const [nameProblem, setNameProblem] = useState<string | null>(null);
  const createBtn = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    createBtn.current?.focus();
    void checkHealth(config, setHealth).then((r) => { setHealth(r); setDone(true); });
  }, []);

  const go = (room: string) => location.assign(`${roomPath(room)}${carriedQuery()}`);

  const join = (e: Event) => {
    e.preventDefault();
    const room = tidyRoomName(name);
    if (!room) { setNameProblem('Type the name of the room you were invited to.'); return; }
    go(room);
  };

  const checks: Array<[string, Check]> = [['Server', health.server], ['App key', health.key], ['Signaling', health.signaling]];
  const failed = checks.filter(([, c]) => c.state === 'fail');
  return (
    <main class="landing">
      <header class="landing-head">
        <span class="brand">Aerie</span>
        <h1>Video calls that run on your own server</h1>
        <p class="lead">Make a room, send the link, talk. No account, no install: camera, microphone, chat and files, straight between browsers.</p>
      </header>

      <section class="landing-actions" aria-label="Start or join a call">
        <button type="button" ref={createBtn} id="btn-create" class="btn primary big" onClick={() => go(newRoomId())}>
          <PlusIcon /><span>Create a room</span>
        </button>
        <p class="or"><span>or join one by name</span></p>
        <form class="join-form" onSubmit={join}>
          <label class="visually-hidden" for="room-name">Room name</label>
          <input id="room-name" type="text" placeholder="Room name" maxLength={128} autocomplete="off"
            aria-describedby={nameProblem ? 'room-name-problem' : undefined} aria-invalid={nameProblem ? 'true' : 'false'}
            value={name} onInput={(e) => { setName((e.currentTarget as HTMLInputElement).value); setNameProblem(null); }} />
          <button type="submit" id="btn-join-name" class="btn secondary big">Join</button>
        </form>
        {nameProblem && <p id="room-name-problem" class="field-problem" role="alert">{nameProblem}</p>}
        <p class="hint">A created room gets a random name that nobody can guess; anyone with the link can join it.</p>
      </section>

      <section class="health" aria-label="Server status" id="health" data-state={failed.length ? 'fail' : done ? 'ok' : 'pending'}>
        {failed.length > 0 ? (
          <div class="notice error" role="alert">
            <h2>Calls may not work on this server right now</h2>
            <ul>{failed.map(([what, c]) => <li key={what} data-check={what}><strong>{what}:</strong> {c.message}</li>)}</ul>
          </div>
        ) : (
          <p class="health-line" role="status">
            <span class={`dot ${done ? 'ok' : 'pending'}`} aria-hidden="true" />
            {done ? 'Server ready: app key accepted, signaling reachable.' : 'Checking the server…'}
          </p>
        )}
      </section>

      <footer class="landing-foot">
        <p>Aerie speaks the Skylink protocol: pages written for SkylinkJS work against it.</p>
      </footer>
    </main>
  );
}
