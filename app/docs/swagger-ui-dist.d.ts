// swagger-ui-dist ships no types; these are the options app/docs/api-reference.tsx passes.
declare module "swagger-ui-dist/swagger-ui-es-bundle.js" {
  type SwaggerUIOptions = {
    domNode: HTMLElement;
    url: string;
    deepLinking?: boolean;
    docExpansion?: "list" | "full" | "none";
    defaultModelsExpandDepth?: number;
    showExtensions?: boolean;
  };
  export default function SwaggerUIBundle(options: SwaggerUIOptions): unknown;
}
