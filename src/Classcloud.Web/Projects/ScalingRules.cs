using Classcloud.Web.Accounts;
using Classcloud.Web.Hosting;

namespace Classcloud.Web.Projects;

/// <summary>
/// The bounds of a project's scaling, each named by its field so the page can show the mistake beside its
/// input and the API answers it in <c>errors</c> (keys as in the JSON body).
/// </summary>
public static class ScalingRules
{
    public const int MaxInstances = 10;
    public const int MaxConcurrency = 1000;
    public const int MaxIdleMinutes = 1440;

    /// <summary>Null when the settings are acceptable, else a 400 naming every field that is not.</summary>
    public static Problem? Check(int min, int max, int target, int idle)
    {
        var errors = new FieldErrors();
        if (min is < 0 or > 1)
        {
            errors.Add("minInstances", Problem.BadRequest("Instances kept awake: 0 or 1."));
        }
        if (max is < 1 or > MaxInstances)
        {
            errors.Add("maxInstances", Problem.BadRequest("Most instances: 1 to {0}.", MaxInstances));
        }
        else if (max < min)
        {
            errors.Add("maxInstances", Problem.BadRequest("Most instances cannot be fewer than the instances kept awake."));
        }
        if (target is < 1 or > MaxConcurrency)
        {
            errors.Add("targetConcurrency", Problem.BadRequest("Requests per instance: 1 to {0}.", MaxConcurrency));
        }
        if (idle is < 1 or > MaxIdleMinutes)
        {
            errors.Add("idleMinutes", Problem.BadRequest("Idle minutes before sleeping: 1 to {0}.", MaxIdleMinutes));
        }
        return errors.ToProblem();
    }
}
