// rdf-canonize ships JavaScript without types; only what the issuer calls is declared.
declare module 'rdf-canonize' {
  export function canonize(
    dataset: object[],
    options: { algorithm: 'RDFC-1.0'; format?: 'application/n-quads' },
  ): Promise<string>
}
