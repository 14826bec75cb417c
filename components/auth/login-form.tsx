'use client';
import { useState, type FormEvent } from 'react';
import { api, ApiError } from '@/hooks/api-client';
import { Button } from '@/components/ui/button';
import { Field, TextInput } from '@/components/ui/field';

export function LoginForm() {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    try {
      await api('/api/auth/login', { method: 'POST', body: { email: form.get('email'), password: form.get('password') } });
      window.location.assign('/connections');
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'Could not reach the server');
      setPending(false);
    }
  }

  return (
    <form onSubmit={submit} className="space-y-4">
      <Field label="Email">
        <TextInput name="email" type="email" autoComplete="username" required />
      </Field>
      <Field label="Password">
        <TextInput name="password" type="password" autoComplete="current-password" required />
      </Field>
      {error && (
        <p role="alert" className="text-sm text-red-600">
          {error}
        </p>
      )}
      <Button type="submit" disabled={pending} className="w-full justify-center">
        {pending ? 'Signing in…' : 'Sign in'}
      </Button>
    </form>
  );
}
