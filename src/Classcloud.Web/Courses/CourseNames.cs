namespace Classcloud.Web.Courses;

/// <summary>The API's spelling of the course enums (lower-case words; "invite-only").</summary>
public static class CourseNames
{
    public static string Of(JoinPolicy policy) => policy switch
    {
        JoinPolicy.Open => "open",
        JoinPolicy.InviteOnly => "invite-only",
        _ => "approval",
    };

    public static JoinPolicy? ParseJoinPolicy(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        "approval" => JoinPolicy.Approval,
        "open" => JoinPolicy.Open,
        "invite-only" or "inviteonly" or "invite" => JoinPolicy.InviteOnly,
        _ => null,
    };

    public static string Of(BoardKind board) => board.ToString().ToLowerInvariant();

    public static BoardKind? ParseBoard(string? value) => value?.ToLowerInvariant() switch
    {
        "notice" => BoardKind.Notice,
        "questions" => BoardKind.Questions,
        "free" => BoardKind.Free,
        _ => null,
    };

    public static string Of(PostVisibility visibility) => visibility == PostVisibility.Educators ? "educators" : "everyone";

    public static PostVisibility? ParseVisibility(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "everyone" => PostVisibility.Everyone,
        "educators" => PostVisibility.Educators,
        _ => null,
    };
}
