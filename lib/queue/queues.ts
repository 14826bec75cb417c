/** One queue for all of Ferry's background work; job kinds are told apart by name. */
export const FERRY_QUEUE = 'ferry';
