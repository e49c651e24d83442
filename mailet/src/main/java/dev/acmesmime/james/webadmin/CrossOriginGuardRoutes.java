package dev.acmesmime.james.webadmin;

import javax.inject.Inject;

import org.apache.james.webadmin.Routes;

import dev.acmesmime.james.runtime.AllowedOrigins;
import dev.acmesmime.james.runtime.AcmeSmimeRuntime;

import spark.Service;

/**
 * The {@link CrossOriginGuard} alone, for a James that loads none of the plugin's role routes but must
 * still keep web pages away from WebAdmin. It defines no endpoint. With
 * {@link CaRoutes} or {@link OrganisationRoutes} it is not needed (they install the guard), and harmless
 * (the guard is installed once per server).
 *
 * <pre>
 * # webadmin.properties
 * extensions.routes=dev.acmesmime.james.webadmin.CrossOriginGuardRoutes
 * </pre>
 * The allowed origins are {@value AllowedOrigins#KEY} in {@code conf/acme-smime.properties} (default none).
 */
public final class CrossOriginGuardRoutes implements Routes {
    private final AcmeSmimeRuntime runtime;

    @Inject
    public CrossOriginGuardRoutes(AcmeSmimeRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public String getBasePath() {
        return "/acme-smime";
    }

    @Override
    public void define(Service service) {
        CrossOriginGuard.installOnce(service, runtime.allowedOrigins());
    }
}
