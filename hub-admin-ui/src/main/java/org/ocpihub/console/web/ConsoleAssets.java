package org.ocpihub.console.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

import org.springframework.core.io.ClassPathResource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import org.webjars.WebJarVersionLocator;

/**
 * The console's static files at {@code /admin/assets/{name}}: {@code console.css} and {@code copy.js} (this module) and
 * {@code htmx.min.js} (the htmx.org webjar, found by webjars-locator-lite, so no version is written here). Read
 * once at start-up into memory: serving them reads no file on an event loop (a jar entry read is blocking I/O), and
 * they sit under {@code /admin}, inside the console's security chain and its CSP. Answers carry an ETag and are
 * revalidated ({@code no-cache}): 304 when unchanged.
 */
@RestController
public class ConsoleAssets {

    /** One file: bytes, media type, ETag. */
    private record Asset(byte[] bytes, MediaType type, String etag) {
    }

    private final Map<String, Asset> assets;

    public ConsoleAssets() {
        String htmx = new WebJarVersionLocator().fullPath("htmx.org", "dist/htmx.min.js");
        if (htmx == null) {
            throw new IllegalStateException("the htmx.org webjar is missing from the class path");
        }
        this.assets = Map.of(
                "console.css", load("console/assets/console.css", new MediaType("text", "css", StandardCharsets.UTF_8)),
                "copy.js", load("console/assets/copy.js", new MediaType("text", "javascript", StandardCharsets.UTF_8)),
                "htmx.min.js", load(htmx, new MediaType("text", "javascript", StandardCharsets.UTF_8)));
    }

    @GetMapping("/admin/assets/{name}")
    public ResponseEntity<byte[]> asset(@PathVariable String name, ServerWebExchange exchange) {
        Asset asset = assets.get(name);
        if (asset == null) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND).contentType(MediaType.TEXT_PLAIN)
                    .body("no console file with that name".getBytes(StandardCharsets.UTF_8));
        }
        if (exchange.checkNotModified(asset.etag())) {
            return ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(asset.etag()).build();
        }
        return ResponseEntity.ok().contentType(asset.type()).eTag(asset.etag())
                .cacheControl(CacheControl.noCache()).body(asset.bytes());
    }

    private static Asset load(String path, MediaType type) {
        try (InputStream in = new ClassPathResource(path).getInputStream()) {
            byte[] bytes = in.readAllBytes();
            String etag = "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 16)
                    + "\"";
            return new Asset(bytes, type, etag);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the console file " + path, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
