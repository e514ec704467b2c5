
namespace Classcloud.Web.Workspaces;

/// <summary>
/// Provisions course environments set to "automatically" for members enrolled since the last pass (every
/// enrolment path — application, roster, invitation — ends as an accepted enrolment, so one pass covers
/// them all without hooks in the course code) and retries members the quota stopped.
/// </summary>
public sealed class CourseProvisioner(IServiceScopeFactory scopes, ILogger<CourseProvisioner> log) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<EnvironmentProvisioning>().ProvisionAllAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                log.LogWarning(ex, "Provisioning course environments failed; trying again in {Interval}", Interval);
            }
        }
    }
}
