import { Environment, Interpreter, type Template } from "@huggingface/jinja";

/** Limits of one chat-template rendering (an untrusted template must end quickly, in bounded memory). */
export const TEMPLATE_LIMITS = {
  /** Evaluation steps (expressions and statements) of one rendering. */
  steps: 200_000,
  /** Characters of any value the template builds, its output included. */
  chars: 64 * 1024 * 1024,
  /** Elements of one `range(...)`. */
  range: 1_000_000,
};

type Statement = Parameters<Interpreter["evaluate"]>[0];
type Value = ReturnType<Interpreter["evaluate"]>;

/** The interpreter of `@huggingface/jinja` with a step budget and a size limit on every value it builds. */
class BoundedInterpreter extends Interpreter {
  #steps = 0;

  override evaluate(statement: Statement, environment: Environment): Value {
    if (++this.#steps > TEMPLATE_LIMITS.steps) {
      throw new RangeError(
        `the chat template ran more than ${TEMPLATE_LIMITS.steps} evaluation steps (an endless or huge loop?)`,
      );
    }
    const value = super.evaluate(statement, environment);
    const v = (value as { value?: unknown }).value;
    if ((typeof v === "string" || Array.isArray(v)) && v.length > TEMPLATE_LIMITS.chars) {
      throw new RangeError(
        `the chat template built a value of ${v.length} elements (limit ${TEMPLATE_LIMITS.chars})`,
      );
    }
    return value;
  }
}

function range(start: number, stop?: number, step = 1): number[] {
  const [a, b] = stop === undefined ? [0, start] : [start, stop];
  if (step === 0) throw new Error("range() step must not be zero");
  const n = Math.max(0, Math.ceil((b - a) / step));
  if (!Number.isFinite(n) || n > TEMPLATE_LIMITS.range) {
    throw new RangeError(
      `the chat template asked for range() of ${n} elements (limit ${TEMPLATE_LIMITS.range})`,
    );
  }
  return Array.from({ length: n }, (_, i) => a + i * step);
}

const pad2 = (n: number) => String(n).padStart(2, "0");

/** `strftime_now` as `@huggingface/jinja` defines it (%Y %m %d %b %B %H %M %%). */
function strftimeNow(format: string): string {
  const d = new Date();
  const month = (style: "long" | "short") => new Intl.DateTimeFormat(undefined, { month: style }).format(d);
  const parts: Record<string, string> = {
    "%Y": String(d.getFullYear()),
    "%m": pad2(d.getMonth() + 1),
    "%d": pad2(d.getDate()),
    "%b": month("short"),
    "%B": month("long"),
    "%H": pad2(d.getHours()),
    "%M": pad2(d.getMinutes()),
    "%%": "%",
  };
  return format.replace(/%[YmdbBHM%]/g, (t) => parts[t] ?? t);
}

/**
 * Renders a parsed template like `Template.render`, with the library's globals (a bounded `range`) and
 * {@linkcode TEMPLATE_LIMITS}: a hostile template ends in a RangeError instead of exhausting memory or time.
 */
export function renderBounded(template: Template, items: Record<string, unknown>): string {
  const env = new Environment();
  const globals: Record<string, unknown> = {
    false: false,
    true: true,
    none: null,
    False: false,
    True: true,
    None: null,
    raise_exception: (message: unknown) => {
      throw new Error(String(message));
    },
    range,
    strftime_now: strftimeNow,
    ...items,
  };
  for (const [k, v] of Object.entries(globals)) env.set(k, v);
  const out = new BoundedInterpreter(env).run(template.parsed);
  return (out as { value: string }).value;
}
