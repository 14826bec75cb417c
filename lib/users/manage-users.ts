import { z } from 'zod';
import { prisma } from '../db/client';
import { AppError, notFound } from '../errors';
import { hashPassword } from '../auth/password';
import { roleSchema, type Actor } from '../auth/roles';
import { recordAudit } from '../audit/record-audit';

export const createUserSchema = z.object({
  email: z.string().trim().toLowerCase().email('must be an email address'),
  name: z.string().trim().min(1, 'is required').max(100),
  role: roleSchema,
  password: z.string().min(10, 'must be at least 10 characters').max(1024),
});
export type CreateUserRequest = z.infer<typeof createUserSchema>;

export const updateUserSchema = z.object({
  name: z.string().trim().min(1, 'is required').max(100).optional(),
  role: roleSchema.optional(),
  password: z.string().min(10, 'must be at least 10 characters').max(1024).optional(),
  disabled: z.boolean().optional(),
});
export type UpdateUserRequest = z.infer<typeof updateUserSchema>;

const userView = { id: true, email: true, name: true, role: true, disabledAt: true, createdAt: true } as const;

export async function listUsers() {
  return prisma().user.findMany({ select: userView, orderBy: { email: 'asc' } });
}

export async function createUser(actor: Actor | null, request: CreateUserRequest) {
  const existing = await prisma().user.findUnique({ where: { email: request.email }, select: { id: true } });
  if (existing) throw new AppError('conflict', 'A user with this email exists', [{ path: 'email', message: 'is taken' }]);
  const user = await prisma().user.create({
    data: { email: request.email, name: request.name, role: request.role, passwordHash: await hashPassword(request.password) },
    select: userView,
  });
  if (actor) await recordAudit(actor, 'user.create', 'user', user.id, null, { email: user.email, name: user.name, role: user.role });
  return user;
}

export async function updateUser(actor: Actor, id: string, request: UpdateUserRequest) {
  const before = await prisma().user.findUnique({ where: { id }, select: userView });
  if (!before) throw notFound('User');
  if (id === actor.id && (request.role && request.role !== 'admin' || request.disabled)) {
    throw new AppError('bad_request', 'You cannot demote or disable yourself', [{ path: 'role', message: 'would lock you out' }]);
  }
  const user = await prisma().user.update({
    where: { id },
    data: {
      name: request.name,
      role: request.role,
      passwordHash: request.password ? await hashPassword(request.password) : undefined,
      disabledAt: request.disabled === undefined ? undefined : request.disabled ? new Date() : null,
    },
    select: userView,
  });
  if (request.disabled || request.password) await prisma().session.deleteMany({ where: { userId: id } });
  await recordAudit(actor, 'user.update', 'user', id, { name: before.name, role: before.role, disabled: !!before.disabledAt }, {
    name: user.name,
    role: user.role,
    disabled: !!user.disabledAt,
    passwordChanged: !!request.password,
  });
  return user;
}

/** Creates or resets a user by email (demo and test seeding). */
export async function upsertUser(request: CreateUserRequest) {
  const passwordHash = await hashPassword(request.password);
  return prisma().user.upsert({
    where: { email: request.email },
    create: { email: request.email, name: request.name, role: request.role, passwordHash },
    update: { name: request.name, role: request.role, passwordHash, disabledAt: null },
    select: userView,
  });
}
