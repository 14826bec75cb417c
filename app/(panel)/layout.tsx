import type { ReactNode } from 'react';
import { requireActorOrRedirect } from '@/app/_server/current-actor';
import { ActorProvider } from '@/components/layout/actor-context';
import { NavBar } from '@/components/layout/nav-bar';

export const dynamic = 'force-dynamic';

export default async function PanelLayout({ children }: { children: ReactNode }) {
  const actor = await requireActorOrRedirect();
  return (
    <ActorProvider actor={actor}>
      <NavBar />
      <main className="mx-auto max-w-7xl px-6 py-8">{children}</main>
    </ActorProvider>
  );
}
