import { redirect } from 'next/navigation';
import { currentActor } from '@/app/_server/current-actor';
import { LoginForm } from '@/components/auth/login-form';

export const dynamic = 'force-dynamic';

export default async function LoginPage() {
  if (await currentActor()) redirect('/connections');
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
        <h1 className="text-xl font-bold text-indigo-700">Ferry</h1>
        <p className="mb-6 text-sm text-slate-500">Sign in to migrate and sync CRM data.</p>
        <LoginForm />
      </div>
    </main>
  );
}
