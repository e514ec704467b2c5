using System.Text;
using Classcloud.Web.Accounts;
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
        services.AddScoped<CourseService>();
        services.AddScoped<EnrolmentService>();
        services.AddScoped<CoEducatorService>();
        services.AddScoped<RosterService>();
        services.AddScoped<MemberExport>();
        services.AddScoped<PostService>();
        services.AddScoped<BoardCounts>();
        services.AddScoped<CommentService>();
        services.AddScoped<AttachmentService>();
        services.AddScoped<NotificationService>();
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
        app.MapCourseAdminApi();
        return app;
    }
}
