using Classcloud.Web.Accounts;

namespace Classcloud.Web.Groups;

public static class GroupsSetup
{
    public static WebApplicationBuilder AddGroups(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<GroupService>();
        builder.Services.AddScoped<GroupMembershipService>();
        builder.Services.AddScoped<GroupInvitations>();
        builder.Services.AddScoped<GroupInvitationNotice>();
        builder.Services.AddScoped<GroupAdminService>();
        builder.Services.AddScoped<IAccountDeletionGuard, GroupOwnershipGuard>();
        return builder;
    }

    public static WebApplication MapGroups(this WebApplication app)
    {
        app.MapGroupApi();
        return app;
    }
}
