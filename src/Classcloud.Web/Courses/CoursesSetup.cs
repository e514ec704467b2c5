using System.Text;
using Classcloud.Web.Accounts;
using Classcloud.Web.Hosting;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Courses;

public static class CoursesSetup
{
    public static WebApplicationBuilder AddCourses(this WebApplicationBuilder builder)
    {
        // Roster files from Korean Excel are CP949/EUC-KR, which .NET knows only through this provider.
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var services = builder.Services;
        services.AddOptions<CoursesOptions>().BindConfiguration(CoursesOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CoursesOptions>, CoursesOptionsValidator>();
        services.AddSingleton<AttachmentStore>();
        services.AddScoped<CourseGate>();
        services.AddScoped<Notifier>();
        services.AddScoped<CourseMails>();
        services.AddScoped<CourseRules>();
        services.AddScoped<CourseService>();
        services.AddScoped<CourseDeletion>();
        services.AddScoped<EnrolmentService>();
        services.AddScoped<CoEducatorService>();
        services.AddScoped<RosterImport>();
        services.AddScoped<RosterPreview>();
        services.AddScoped<RosterEnrolment>();
        services.AddScoped<MemberExport>();
        services.AddScoped<PostService>();
        services.AddScoped<BoardCounts>();
        services.AddScoped<CommentService>();
        services.AddScoped<AttachmentService>();
        services.AddScoped<NotificationService>();
        services.AddScoped<NotificationSettingsService>();
        // Mails of new notifications are queued in the save that stores them (issue 17).
        services.AddSingleton<Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor, NotificationMailInterceptor>();
        services.AddOptions<NotificationMailOptions>().BindConfiguration(NotificationMailOptions.Section)
            .Validate(o => o.DigestTimeUtc >= TimeSpan.Zero && o.DigestTimeUtc < TimeSpan.FromDays(1),
                "Classcloud:Notifications:DigestTimeUtc must be a time of day (00:00:00 to 23:59:59).")
            .Validate(o => o.CheckInterval >= TimeSpan.FromSeconds(1) && o.CheckInterval <= TimeSpan.FromHours(1),
                "Classcloud:Notifications:CheckInterval must be between 00:00:01 and 01:00:00.")
            .ValidateOnStart();
        services.AddSingleton<NotificationDigest>();
        if (builder.Roles().Controller)
        {
            services.AddHostedService<NotificationDigestService>(); // background work belongs to the controller role
        }
        services.AddScoped<CourseAdminService>();
        services.AddScoped<IAccountDeletionGuard, CourseOwnershipGuard>();
        services.AddScoped<IEmailVerifiedHandler, RosterInvitationHandler>();
        return builder;
    }

    public static WebApplication MapCourses(this WebApplication app)
    {
        app.MapCourseApi();
        app.MapBoardApi();
        app.MapNotificationApi();
        app.MapNotificationSettingsApi();
        app.MapCourseAdminApi();
        return app;
    }
}
