'use client';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { api } from '@/hooks/api-client';
import { useActor, useCan } from './actor-context';

export function NavBar() {
  const actor = useActor();
  const pathname = usePathname();
  const canManageUsers = useCan('users:manage');
  const links = [
    { href: '/connections', label: 'Connections' },
    { href: '/files', label: 'Files' },
    { href: '/mappings', label: 'Mappings' },
    { href: '/jobs', label: 'Jobs' },
    { href: '/syncs', label: 'Syncs' },
    { href: '/plans', label: 'Plans' },
    ...(canManageUsers ? [{ href: '/users', label: 'Users' }, { href: '/audit', label: 'Audit log' }] : []),
  ];
  async function signOut() {
    await api('/api/auth/logout', { method: 'POST' }).catch(() => undefined);
    window.location.assign('/login');
  }
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-7xl items-center gap-6 px-6 py-3">
        <Link href="/connections" className="text-lg font-bold text-indigo-700">
          Ferry
        </Link>
        <nav className="flex gap-1">
          {links.map((l) => (
            <Link
              key={l.href}
              href={l.href}
              className={`rounded-md px-3 py-1.5 text-sm ${pathname.startsWith(l.href) ? 'bg-indigo-50 font-medium text-indigo-700' : 'text-slate-600 hover:bg-slate-100'}`}
            >
              {l.label}
            </Link>
          ))}
        </nav>
        <div className="ml-auto flex items-center gap-3 text-sm">
          <span data-testid="current-user" className="text-slate-600">
            {actor.name} · <span className="font-medium">{actor.role}</span>
          </span>
          <button type="button" onClick={signOut} className="rounded-md px-2 py-1 text-slate-600 hover:bg-slate-100">
            Sign out
          </button>
        </div>
      </div>
    </header>
  );
}
