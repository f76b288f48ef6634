// The signal-key half of a Baileys auth state, kept in memory: what tests and benchmarks use instead of files.
export const memoryKeys = () => {
  const data = new Map();
  return {
    async get(type, ids) {
      const out = {};
      for (const id of ids) {
        const value = data.get(`${type}:${id}`);
        if (value !== undefined) out[id] = value;
      }
      return out;
    },
    async set(update) {
      for (const [type, values] of Object.entries(update)) {
        for (const [id, value] of Object.entries(values)) {
          if (value === null || value === undefined) data.delete(`${type}:${id}`);
          else data.set(`${type}:${id}`, value);
        }
      }
    },
  };
};
