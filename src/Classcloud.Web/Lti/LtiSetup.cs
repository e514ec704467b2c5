using Classcloud.Web.Hosting;

namespace Classcloud.Web.Lti;

/// <summary>Classcloud as an LTI 1.3 tool (issue 17): platform registration, the tool key, login and launch.</summary>
public static class LtiSetup
{
    public static WebApplicationBuilder AddLti(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddScoped<LtiPlatforms>();
        services.AddSingleton<LtiToolKeys>();
        services.AddSingleton<LtiKeySets>();
        services.AddScoped<LtiTokenValidator>();
        services.AddScoped<LtiLogin>();
        services.AddScoped<LtiAccounts>();
        services.AddScoped<LtiCourses>();
        services.AddScoped<LtiLaunches>();
        services.AddScoped<LtiDeepLinking>();
        services.AddScoped<LtiServiceTokens>();
        services.AddScoped<LtiPlatformCalls>();
        services.AddScoped<LtiRoster>();
        services.AddScoped<LtiGrades>();
        services.AddHttpClient(LtiKeySets.Client, c =>
            {
                c.Timeout = TimeSpan.FromSeconds(10);
                c.MaxResponseContentBufferSize = LtiPlatformCalls.MaxResponseBytes;
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        // The platform posts the login initiation and the launch from its own site: CrossSiteGuard lets these two in
        // (each carries its own proof: nothing, for a login that only starts; the signed token, for the launch).
        services.Configure<CrossSiteOptions>(o =>
        {
            o.AllowedPaths.Add("/lti/login");
            o.AllowedPaths.Add("/lti/launch");
        });
        return builder;
    }

    public static WebApplication MapLti(this WebApplication app)
    {
        app.MapLtiApi();
        return app;
    }
}
