using Classcloud.Web.Admin.Quotas;
using Classcloud.Web.Admin.Storage;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Admin;

public static class AdminSetup
{
    public static WebApplicationBuilder AddAdmin(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<AuditLog>();
        builder.Services.AddScoped<AuditQueryService>();
        builder.Services.AddScoped<SettingsService>();
        builder.Services.AddScoped<UserAdminService>();
        builder.Services.AddScoped<AdminOverview>();
        builder.Services.AddScoped<StorageReport>();
        builder.Services.AddScoped<ImageCatalog>();
        builder.AddQuotas();
        return builder;
    }

    public static WebApplication MapAdmin(this WebApplication app)
    {
        app.MapAdminApi();
        app.MapAdminOverviewApi();
        app.MapStorageApi();
        app.MapQuotaApi();
        return app;
    }
}
