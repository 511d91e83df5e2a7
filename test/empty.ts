// Stands in for the `server-only` package under Vitest: the real one throws outside Next's react-server build.
export {};
