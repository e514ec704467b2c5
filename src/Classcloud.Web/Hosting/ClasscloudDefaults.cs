using System.Globalization;
using System.Threading.RateLimiting;
using Classcloud.Web.Localization;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Hosting;

/// <summary>Cross-cutting host setup: options, roles, errors, localization, rate limits, OpenAPI.</summary>
public static class ClasscloudDefaults
{
    public const string AuthRateLimit = "auth";
    public const string AuthRedirectRateLimit = "auth-redirect";

    public static readonly CultureInfo[] Cultures = [new("en"), new("ko")];

    public static WebApplicationBuilder AddClasscloudDefaults(this WebApplicationBuilder builder)
    {
        builder.Configuration.AddClasscloudEnvironment();
        builder.Services.AddOptions<ClasscloudOptions>().BindConfiguration(ClasscloudOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ClasscloudOptions>, ClasscloudOptionsValidator>();
        builder.Services.AddOptions<LimitsOptions>().BindConfiguration(LimitsOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<LimitsOptions>, LimitsOptionsValidator>();
        builder.Services.AddSingleton(TimeProvider.System);

        var (roles, rolesError) = HostRoles.Parse(builder.Configuration["roles"]);
        builder.Services.AddSingleton(roles ?? HostRoles.All);
        builder.Services.AddSingleton(new StartupErrors(
            new[] { rolesError, ProxySetup.PublicUrlError(builder.Configuration) }.OfType<string>().ToList()));
        builder.AddProxySupport();

        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = ProblemDefaults.Fill);
        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.MaxDepth = 32);

        builder.Services.AddLocalization();
        // Korean text is written as UTF-8, not as &#x…; entities (still HTML-escaped where needed).
        builder.Services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o =>
            o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        builder.Services.Configure<RequestLocalizationOptions>(o =>
        {
            o.DefaultRequestCulture = new RequestCulture("en");
            o.SupportedCultures = Cultures;
            o.SupportedUICultures = Cultures;
            o.RequestCultureProviders = [new CookieRequestCultureProvider(), new AcceptLanguageHeaderRequestCultureProvider()];
        });

        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // Pages answer with the friendly status code page (no body here), the API with a ProblemDetails.
            o.OnRejected = (context, ct) => IsApi(context.HttpContext.Request)
                ? Problems.WriteAsync(context.HttpContext, StatusCodes.Status429TooManyRequests, "Too many requests",
                    context.HttpContext.RequestServices.GetRequiredService<Microsoft.Extensions.Localization.IStringLocalizer<SharedResource>>()
                        ["Too many attempts from this address; wait a minute and try again."], ct)
                : ValueTask.CompletedTask;
            // Only submissions count on forms: showing the sign-in or sign-up page is not an attempt.
            o.AddPolicy(AuthRateLimit, http =>
                HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method)
                    ? RateLimitPartition.GetNoLimiter("read")
                    : AuthPartition(http));
            // Redirect-driven sign-in (social providers) does its work on GET, so every request counts there.
            o.AddPolicy(AuthRedirectRateLimit, AuthPartition);
        });

        builder.Services.AddOpenApi();
        builder.Services.AddRazorPages(o => o.RootDirectory = "/")
            .AddViewLocalization()
            .AddDataAnnotationsLocalization(o => o.DataAnnotationLocalizerProvider = (_, f) => f.Create(typeof(SharedResource)));
        builder.Services.AddHttpContextAccessor();
        return builder;
    }

    /// <summary>Per client address, Classcloud:Limits:AuthRequestsPerMinute a minute.</summary>
    static RateLimitPartition<string> AuthPartition(HttpContext http)
    {
        var limits = http.RequestServices.GetRequiredService<IOptions<LimitsOptions>>().Value;
        var key = http.Connection.RemoteIpAddress?.ToString() ?? "local";
        return RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = limits.AuthRequestsPerMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        });
    }

    /// <summary>Runs every ValidateOnStart check before the host starts, so a bad value prints one clear line.</summary>
    public static bool ValidateConfiguration(this WebApplication app)
    {
        var errors = new List<string>(app.Services.GetRequiredService<StartupErrors>().Messages);
        try
        {
            app.Services.GetRequiredService<IStartupValidator>().Validate();
        }
        catch (OptionsValidationException ex)
        {
            errors.AddRange(ex.Failures);
        }
        catch (InvalidOperationException ex) when (IsBindingFailure(ex))
        {
            // A value of the wrong type (e.g. Provider=MySql, a word for a number) fails in the binder,
            // before any validator runs; its message names the key and the value.
            errors.Add(ex.Message);
        }
        catch (AggregateException ex)
        {
            errors.AddRange(ex.InnerExceptions.OfType<OptionsValidationException>().SelectMany(e => e.Failures));
            errors.AddRange(ex.InnerExceptions.OfType<InvalidOperationException>().Where(IsBindingFailure).Select(e => e.Message));
        }
        foreach (var error in errors)
        {
            Console.Error.WriteLine($"classcloud: invalid configuration: {error}");
        }
        return errors.Count == 0;
    }

    static bool IsBindingFailure(InvalidOperationException ex) =>
        ex.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal);

    public static WebApplication UseClasscloudDefaults(this WebApplication app)
    {
        // First, so the error handler and status code pages (which write after the inner middleware
        // has returned and its culture is gone) answer in the user's language too.
        app.UseRequestLocalization();
        app.UseMiddleware<SecurityHeaders>();
        // Behind an HTTPS proxy the platform may see plain HTTP; every cookie is Secure all the same.
        var publicHttps = app.Services.GetRequiredService<IOptions<ClasscloudOptions>>().Value.PublicHttps;
        app.UseCookiePolicy(new CookiePolicyOptions { Secure = publicHttps ? CookieSecurePolicy.Always : CookieSecurePolicy.None });
        // Unhandled errors: the API gets a ProblemDetails (ProblemExceptionHandler), pages the /error page.
        app.UseWhen(context => IsApi(context.Request), api => api.UseExceptionHandler());
        app.UseWhen(context => !IsApi(context.Request), pages => pages.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandlingPath = "/error",
            StatusCodeSelector = ex => ex is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
        }));
        app.UseWhen(context => IsApi(context.Request), api => api.UseStatusCodePages());
        app.UseWhen(context => !IsApi(context.Request), pages => pages.UseStatusCodePagesWithReExecute("/error", "?status={0}"));
        app.UseMiddleware<CrossSiteGuard>();
        app.UseMiddleware<RequestBodyLimitMiddleware>();
        app.UseStaticFiles();
        app.UseRouting();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.MapOpenApi();
        return app;
    }

    /// <summary>The JSON API answers errors with ProblemDetails; everything else is for people and gets pages.</summary>
    public static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/api");

    public static WebApplication MapClasscloudPages(this WebApplication app)
    {
        app.MapRazorPages();
        return app;
    }
}

/// <summary>Configuration problems found before options binding (e.g. an unknown role).</summary>
internal sealed record StartupErrors(IReadOnlyList<string> Messages);
