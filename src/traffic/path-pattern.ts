// Request classes by method and path pattern: `/users/42/orders/9f1c...` and `/users/7/orders/03ab...` are one
// class of work, `GET /users/:id/orders/:hex`. Segments that identify a record rather than name a resource are
// replaced: decimal numbers, UUIDs, long hex strings and long opaque tokens (mixed letters and digits).

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function pathPattern(path: string): string {
  if (path === "/" || path === "") return "/";
  return path
    .split("/")
    .map((segment) => {
      if (segment === "") return segment;
      if (/^\d+$/.test(segment)) return ":id";
      if (UUID.test(segment)) return ":uuid";
      if (/^[0-9a-f]{8,}$/i.test(segment) && /\d/.test(segment)) return ":hex";
      if (segment.length >= 20 && /\d/.test(segment) && /[a-z]/i.test(segment) && !segment.includes(".")) return ":token";
      return segment;
    })
    .join("/");
}

/** A class name from method and pattern: `get-users-id-orders`, letters, digits and dashes, starting with a letter. */
export function className(method: string, pattern: string): string {
  const words = pattern.toLowerCase().replace(/:/g, "").split(/[^a-z0-9]+/).filter((w) => w.length > 0);
  return [method.toLowerCase(), ...words].join("-").slice(0, 60) || "request";
}
