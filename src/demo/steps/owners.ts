// Demo step: the sales and marketing people of the demo company. They get random passwords nobody knows;
// an admin sets real ones in Settings → Users. There is no default password.
import { eq } from 'drizzle-orm';
import { recordAudit } from '../../domains/identity/audit.ts';
import { users } from '../../domains/identity/schema.ts';
import { randomToken } from '../../domains/identity/secrets.ts';
import { insertUser } from '../../domains/identity/users.ts';
import { DEMO_COMPANY_DOMAIN, DEMO_TEAM } from '../data.ts';
import type { DemoStep } from '../types.ts';

export const ascii = (s: string): string =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss')
    .toLowerCase();

export const ownersStep: DemoStep = {
  name: 'owners',
  units: () => DEMO_TEAM.length,
  async run(s) {
    for (const member of DEMO_TEAM) {
      const email = `${ascii(member.name).replace(/[^a-z]+/g, '.')}@${DEMO_COMPANY_DOMAIN}`;
      const [existing] = await s.tx.select().from(users).where(eq(users.email, email));
      const user = existing ?? (await insertUser(s.tx, { email, name: member.name, role: member.role, password: randomToken(32) }));
      if (!existing) {
        s.counts.users = (s.counts.users ?? 0) + 1;
        await recordAudit(s.tx, s.ctx.actor, {
          action: 'user.created',
          entityType: 'user',
          entityId: user.id,
          summary: `Created user ${user.email} (${user.role}) for the demo data`,
          changes: { email: user.email, role: user.role },
        });
      }
      s.users.push({ id: user.id, name: user.name, email: user.email, role: member.role });
      s.tick(1);
    }
  },
};
