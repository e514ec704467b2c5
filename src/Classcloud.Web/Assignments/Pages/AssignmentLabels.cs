namespace Classcloud.Web.Assignments.Pages;

/// <summary>The English texts (localizer keys) of the API's words, for the pages.</summary>
public static class AssignmentLabels
{
    public static string State(string state) => state switch
    {
        "upcoming" => "Upcoming",
        "due-soon" => "Due soon",
        "submitted" => "Submitted",
        "late" => "Late",
        "missing" => "Missing",
        "graded" => "Graded",
        _ => "Open",
    };

    public static string Compare(string mode) => mode switch
    {
        CompareModes.Exact => "Exact",
        CompareModes.Whitespace => "Ignore white space",
        CompareModes.Regex => "Regular expression",
        CompareModes.Numeric => "Numbers (tolerance)",
        _ => "Ignore trailing space",
    };

    public static string Visibility(string visibility) => visibility switch
    {
        TestVisibility.AfterDue => "After the due time",
        TestVisibility.Hidden => "Hidden",
        _ => "Visible",
    };

    public static string Grade(string state) => state switch
    {
        GradeStates.Queued => "Queued",
        GradeStates.Running => "Running",
        GradeStates.Done => "Graded",
        GradeStates.Error => "Failed",
        _ => "Not graded",
    };
}
