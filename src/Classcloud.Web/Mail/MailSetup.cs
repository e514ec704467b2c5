using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Mail;

public static class MailSetup
{
    public static WebApplicationBuilder AddMail(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<MailOptions>().BindConfiguration(MailOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<MailOptions>, MailOptionsValidator>();
        builder.Services.AddSingleton<MailSignal>();
        builder.Services.AddScoped<Mailer>();
        builder.Services.AddSingleton<Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor, MailCommitInterceptor>();
        if (builder.Roles().Controller)
        {
            builder.Services.AddHostedService<MailSender>(); // background work belongs to the controller role
        }
        return builder;
    }

    public static WebApplication MapMail(this WebApplication app)
    {
        app.MapGet("/api/v1/admin/mail", ListAsync).RequireAuthorization(Accounts.Policies.Admin).WithTags("Admin");
        return app;
    }

    public sealed record MailDto(long Id, string To, string Subject, string Body, DateTime CreatedAt, DateTime? SentAt, DateTime? FailedAt, int Attempts, string? LastError);

    static async Task<Microsoft.AspNetCore.Http.HttpResults.Ok<Paged<MailDto>>> ListAsync(
        ClasscloudDb db, IOptions<LimitsOptions> limits, int? page, int? pageSize, CancellationToken ct)
    {
        var (p, size) = Paging.Clamp(page, pageSize, limits.Value.MaxPageSize);
        var total = await db.Mail.CountAsync(ct);
        var items = await db.Mail.AsNoTracking().OrderByDescending(m => m.Id).Skip((p - 1) * size).Take(size)
            .Select(m => new MailDto(m.Id, m.To, m.Subject, m.Body, m.CreatedAt, m.SentAt, m.FailedAt, m.Attempts, m.LastError))
            .ToListAsync(ct);
        return TypedResults.Ok(new Paged<MailDto>(items, p, size, total));
    }
}
