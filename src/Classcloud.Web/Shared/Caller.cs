using System.Security.Claims;
using Classcloud.Web.Accounts;

namespace Classcloud.Web.Shared;

/// <summary>Who is asking: the signed-in user and whether they administer the platform.</summary>
public readonly record struct Caller(long UserId, bool IsAdmin)
{
    public static Caller From(ClaimsPrincipal principal) => new(principal.UserId(), principal.IsAdmin());
}
