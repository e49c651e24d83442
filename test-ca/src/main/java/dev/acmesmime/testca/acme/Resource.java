package dev.acmesmime.testca.acme;

/** What answers one method on one path. */
@FunctionalInterface
public interface Resource {
    void handle(Exchange exchange);
}
