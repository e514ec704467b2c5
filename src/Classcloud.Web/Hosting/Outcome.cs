using Classcloud.Web.Localization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Classcloud.Web.Hosting;

/// <summary>
/// Why a use case refused: an HTTP status and a sentence for the person, kept as its English text (the resource
/// key) with arguments and worded in the reader's language when <see cref="Detail"/> is read (at the endpoint or
/// page). A text that is already localized passes through unchanged.
/// </summary>
public sealed record Problem(int Status, string Text, params object?[] Args)
{
    /// <summary>The sentence in the current request's language.</summary>
    public string Detail => Sentences.Format(Text, Args);

    public static Problem BadRequest(string text, params object?[] args) => new(StatusCodes.Status400BadRequest, text, args);
    public static Problem Unauthorized(string text, params object?[] args) => new(StatusCodes.Status401Unauthorized, text, args);
    public static Problem Forbidden(string text, params object?[] args) => new(StatusCodes.Status403Forbidden, text, args);
    public static Problem NotFound(string text, params object?[] args) => new(StatusCodes.Status404NotFound, text, args);
    public static Problem Conflict(string text, params object?[] args) => new(StatusCodes.Status409Conflict, text, args);

    /// <summary>Per-field messages of a form (the "errors" member of the answer, as ASP.NET Core's validation problems name it); null: none.</summary>
    public IReadOnlyDictionary<string, string[]>? Errors { get; init; }

    public ProblemHttpResult ToResult() => TypedResults.Problem(Detail, statusCode: Status, title: Title,
        extensions: Errors is null ? null : new Dictionary<string, object?>(StringComparer.Ordinal) { ["errors"] = Errors });

    string Title => Status switch
    {
        400 => "Invalid request",
        401 => "Not signed in",
        403 => "Not allowed",
        404 => "Not found",
        409 => "Conflict",
        413 => "Too large",
        502 => "The engine refused",
        503 => "Unavailable",
        _ => "Request failed",
    };
}

/// <summary>The value a use case produced, or the problem that stopped it.</summary>
public readonly record struct Outcome<T>(T? Value, Problem? Problem)
{
    public bool Succeeded => Problem is null;

    public static implicit operator Outcome<T>(T value) => new(value, null);

    public static implicit operator Outcome<T>(Problem problem) => new(default, problem);
}
