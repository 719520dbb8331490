/** The demo's message: an order to total up. */
export interface Order {
  readonly orderId: string;
  readonly lines: readonly { readonly sku: string; readonly quantity: number; readonly unitPrice: number }[];
}

/** Parses and checks an order message body; throws naming the field that is wrong. */
export function parseOrder(body: string): Order {
  const order = JSON.parse(body) as unknown;
  if (typeof order !== 'object' || order === null) throw new Error('the body must be a JSON object {"orderId": string, "lines": [...]}');
  const { orderId, lines } = order as Record<string, unknown>;
  if (typeof orderId !== 'string' || orderId === '') throw new Error('orderId must be a non-empty string');
  if (!Array.isArray(lines)) throw new Error('lines must be an array of {"sku": string, "quantity": number, "unitPrice": number}');
  lines.forEach((line: Record<string, unknown>, index) => {
    if (typeof line?.sku !== 'string') throw new Error(`lines[${index}].sku must be a string`);
    if (!Number.isInteger(line.quantity) || (line.quantity as number) < 1)
      throw new Error(`lines[${index}].quantity must be a whole number of at least 1`);
    if (typeof line.unitPrice !== 'number' || !(line.unitPrice >= 0)) throw new Error(`lines[${index}].unitPrice must be a number of at least 0`);
  });
  return order as Order;
}

export function orderTotal(order: Order): number {
  return order.lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0);
}
