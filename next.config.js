/** @type {import('next').NextConfig} */
const nextConfig = {
  // Drivers with native parts or dynamic requires stay out of the server bundle.
  serverExternalPackages: ['pg', 'pg-copy-streams', 'mysql2', '@node-rs/argon2', 'bullmq', 'ioredis', '@prisma/adapter-pg'],
  // Tests build into their own folder so they never disturb a running demo.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  poweredByHeader: false,
  typedRoutes: false,
};
export default nextConfig;
