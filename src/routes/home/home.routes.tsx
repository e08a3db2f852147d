import { Hono } from 'hono';
import type { AppEnv } from '../../web/context.ts';
import { requireUser } from '../../web/guards.ts';
import { renderPage } from '../../web/render.tsx';

export function homeRoutes() {
  const app = new Hono<AppEnv>();
  app.get('/', (c) => {
    const user = requireUser(c);
    const t = c.var.t;
    const tiles = [
      user.roles.includes('teacher') && { href: '/teacher/runs', title: t.home.teacherTile, text: t.home.teacherTileText, tone: 'blue' },
      user.roles.includes('participant') && { href: '/me/enrolments', title: t.home.participantTile, text: t.home.participantTileText, tone: 'green' },
      user.roles.includes('admin') && { href: '/admin', title: t.home.adminTile, text: t.home.adminTileText, tone: 'slate' },
    ].filter((tile) => !!tile);
    return renderPage(
      c,
      t.home.title,
      <>
        <h1>{t.home.welcome(user.name)}</h1>
        <ul class="tiles">
          {tiles.map((tile) => (
            <li>
              <a class={`tile tile-${tile.tone}`} href={tile.href}>
                <span class="tile-title">{tile.title}</span>
                <span class="tile-text">{tile.text}</span>
              </a>
            </li>
          ))}
        </ul>
      </>,
    );
  });
  return app;
}
