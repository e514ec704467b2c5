using System.Text.Json;

namespace Classcloud.Web.Lti;

/// <summary>The claims of a validated launch that Classcloud acts on (LTI Core 1.3 §5, Deep Linking 2.0 §4.4).</summary>
public sealed record LtiLaunch(
    LtiPlatform Platform,
    string MessageType,
    string DeploymentId,
    string Subject,
    string? Name,
    string? Email,
    IReadOnlyList<string> Roles,
    string? ContextId,
    string? ContextTitle,
    IReadOnlyDictionary<string, string> Custom,
    LtiDeepLinkSettings? DeepLinking)
{
    /// <summary>Names and Role Provisioning's membership URL for the context, when the platform offers it.</summary>
    public string? MembershipsUrl { get; init; }

    /// <summary>Assignment and Grade Services' line items URL for the context, when the platform offers it.</summary>
    public string? LineItemsUrl { get; init; }

    public const string ResourceLink = "LtiResourceLinkRequest";
    public const string DeepLinkingRequest = "LtiDeepLinkingRequest";

    /// <summary>Context roles (full URIs, or the short names LTI 1.3 §A.2.2 also allows) that teach: they may place and link courses.</summary>
    public bool IsInstructor => Roles.Any(r => HasRole(r, "Instructor") || HasRole(r, "Administrator") || HasRole(r, "ContentDeveloper"));

    public bool IsLearner => Roles.Any(r => HasRole(r, "Learner"));

    /// <summary>Context roles only (membership#X, or a bare X); institution roles (institution/person#…) say nothing about this course.</summary>
    static bool HasRole(string role, string name) =>
        role == name || role == "http://purl.imsglobal.org/vocab/lis/v2/membership#" + name;

    /// <summary>Reads the payload of a token whose signature and registered claims were already checked.</summary>
    internal static LtiLaunch Read(LtiPlatform platform, JsonElement payload)
    {
        var context = payload.TryGetProperty(LtiClaims.Context, out var c) && c.ValueKind == JsonValueKind.Object ? c : (JsonElement?)null;
        var custom = new Dictionary<string, string>(StringComparer.Ordinal);
        if (payload.TryGetProperty(LtiClaims.Custom, out var cu) && cu.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in cu.EnumerateObject().Where(p => p.Value.ValueKind is JsonValueKind.String or JsonValueKind.Number))
            {
                custom[p.Name] = p.Value.ToString();
            }
        }
        LtiDeepLinkSettings? deepLinking = null;
        if (payload.TryGetProperty(LtiClaims.DeepLinkingSettings, out var dl) && dl.ValueKind == JsonValueKind.Object)
        {
            deepLinking = new LtiDeepLinkSettings(String(dl, "deep_link_return_url") ?? "", String(dl, "data"),
                dl.TryGetProperty("accept_multiple", out var m) && m.ValueKind == JsonValueKind.True);
        }
        var roles = payload.TryGetProperty(LtiClaims.Roles, out var r) && r.ValueKind == JsonValueKind.Array
            ? r.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList()
            : [];
        return new LtiLaunch(platform, String(payload, LtiClaims.MessageType) ?? "", String(payload, LtiClaims.DeploymentId) ?? "",
            String(payload, "sub") ?? "", String(payload, "name") ?? Join(String(payload, "given_name"), String(payload, "family_name")),
            String(payload, "email"), roles,
            context is { } ctx ? String(ctx, "id") : null, context is { } t ? String(t, "title") ?? String(t, "label") : null,
            custom, deepLinking)
        {
            MembershipsUrl = payload.TryGetProperty(LtiClaims.NamesRoleService, out var nrps) && nrps.ValueKind == JsonValueKind.Object ? String(nrps, "context_memberships_url") : null,
            LineItemsUrl = payload.TryGetProperty(LtiClaims.GradeService, out var ags) && ags.ValueKind == JsonValueKind.Object ? String(ags, "lineitems") : null,
        };
    }

    static string? String(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s ? s : null;

    static string? Join(string? given, string? family) =>
        given is null && family is null ? null : $"{given} {family}".Trim();
}

/// <summary>Where a deep-linking answer goes and the opaque data the platform wants back (Deep Linking 2.0 §4.4.1).</summary>
public sealed record LtiDeepLinkSettings(string ReturnUrl, string? Data, bool AcceptMultiple);

/// <summary>Claim names of the IMS specifications.</summary>
public static class LtiClaims
{
    const string Lti = "https://purl.imsglobal.org/spec/lti/claim/";
    public const string MessageType = Lti + "message_type";
    public const string Version = Lti + "version";
    public const string DeploymentId = Lti + "deployment_id";
    public const string TargetLinkUri = Lti + "target_link_uri";
    public const string ResourceLink = Lti + "resource_link";
    public const string Roles = Lti + "roles";
    public const string Context = Lti + "context";
    public const string Custom = Lti + "custom";
    public const string DeepLinkingSettings = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings";
    public const string ContentItems = "https://purl.imsglobal.org/spec/lti-dl/claim/content_items";
    public const string DeepLinkingData = "https://purl.imsglobal.org/spec/lti-dl/claim/data";
    public const string NamesRoleService = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice";
    public const string GradeService = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint";

    /// <summary>The custom parameter naming the Classcloud course an LMS course is placed on.</summary>
    public const string CourseParameter = "classcloud_course";

    /// <summary>The custom parameter naming what a link opens: course:{id}, workspace:{id}, environments:{course id} or assignment:{id}.</summary>
    public const string TargetParameter = "classcloud_target";
}
