'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CreateUserRequest, UpdateUserRequest } from '@/lib/users/manage-users';
import type { Role } from '@/lib/auth/roles';
import { api } from './api-client';
import { queryKeys } from './query-keys';

export interface UserView {
  id: string;
  email: string;
  name: string;
  role: Role;
  disabledAt: string | null;
  createdAt: string;
}

export function useUsers() {
  return useQuery({ queryKey: queryKeys.users, queryFn: () => api<{ users: UserView[] }>('/api/users').then((r) => r.users) });
}

export function useCreateUser() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (request: CreateUserRequest) => api('/api/users', { method: 'POST', body: request }),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.users }),
  });
}

export function useUpdateUser() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...request }: UpdateUserRequest & { id: string }) => api(`/api/users/${id}`, { method: 'PATCH', body: request }),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.users }),
  });
}
