'use client';
import { createContext, useContext, type ReactNode } from 'react';
import { can, type Actor, type Permission } from '@/lib/auth/roles';

const ActorContext = createContext<Actor | null>(null);

export function ActorProvider({ actor, children }: { actor: Actor; children: ReactNode }) {
  return <ActorContext.Provider value={actor}>{children}</ActorContext.Provider>;
}

export function useActor(): Actor {
  const actor = useContext(ActorContext);
  if (!actor) throw new Error('useActor outside the signed-in shell');
  return actor;
}

/** Hides actions the server would refuse anyway; the server still checks every call. */
export function useCan(permission: Permission): boolean {
  return can(useActor().role, permission);
}
