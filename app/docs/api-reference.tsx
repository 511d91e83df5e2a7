"use client";

import { useEffect, useRef, useState } from "react";
import "swagger-ui-dist/swagger-ui.css";

/**
 * Swagger UI over the document at `url`, from swagger-ui-dist's prebuilt bundle, loaded from the app's
 * own chunks: no CDN, no inline script, no remote font. (swagger-ui-react's unbundled build fails under
 * Turbopack when it resolves an OpenAPI 3.1 operation: "refract is not a function".)
 */
export function ApiReference({ url }: { url: string }) {
  const container = useRef<HTMLDivElement>(null);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    import("swagger-ui-dist/swagger-ui-es-bundle.js")
      .then(({ default: SwaggerUIBundle }) => {
        if (cancelled || !container.current) return;
        SwaggerUIBundle({
          domNode: container.current,
          url,
          deepLinking: true,
          docExpansion: "list",
          defaultModelsExpandDepth: 0,
          showExtensions: true,
        });
      })
      .catch((error: unknown) => {
        if (!cancelled) setFailure(error instanceof Error ? error.message : String(error));
      });
    return () => {
      cancelled = true;
    };
  }, [url]);

  if (failure) return <p role="alert">The API reference could not be loaded: {failure}</p>;
  return <div ref={container} className="mt-4" aria-label="API operations" role="region" />;
}
