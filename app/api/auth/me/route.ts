import { route } from '@/app/_server/route';

export const GET = route({ permission: 'read' }, async ({ actor }) => ({ user: actor }));
