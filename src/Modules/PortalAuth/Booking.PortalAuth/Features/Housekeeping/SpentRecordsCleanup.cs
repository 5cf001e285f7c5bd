using Booking.BuildingBlocks.Contracts;
using Booking.BuildingBlocks.Jobs;
using Booking.BuildingBlocks.Security;
using Booking.BuildingBlocks.Tenancy;
using Booking.PortalAuth.Data;
using Booking.PortalAuth.Domain;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Booking.PortalAuth.Features.Housekeeping;

/// <summary>
/// Deletes this tenant's sign-in records nothing reads any more: sends counted for the hourly caps (code sends,
/// forgot-password requests), phone sign-in attempts, and reset links past their life or used. Each is read at most an hour
/// (a link, an attempt, a new-client ticket: half an hour) after it was written; a day is kept for support. The platform's
/// hourly code budget rows and the failed password sign-ins per client address (no tenant's; counted for 15 minutes)
/// go with any business's sweep: the delete is by key or time and finds nothing the second time in an hour.
/// </summary>
public sealed record PurgeSpentSignInRecords : ITenantJob;

public sealed class PurgeSpentSignInRecordsHandler(PortalAuthDbContext db, ITenantContext tenant, TimeProvider clock)
    : ICommandHandler<PurgeSpentSignInRecords>
{
    /// <summary>How long a record is kept after it stops counting (the reset rows' own rule, shared with staff).</summary>
    public static readonly TimeSpan Kept = PasswordResets.Kept;

    public async ValueTask<Unit> Handle(PurgeSpentSignInRecords command, CancellationToken cancellationToken)
    {
        var before = clock.GetUtcNow() - Kept;
        // Code sends are readable across businesses (the per-IP cap): this tenant's own are named explicitly.
        var tenantId = tenant.Current?.Id ?? throw new InvalidOperationException("The cleanup runs for one tenant.");
        await db.CodeSends.Where(s => s.TenantId == tenantId && s.At < before).ExecuteDeleteAsync(cancellationToken);
        await db.Attempts.Where(a => a.CreatedAt < before).ExecuteDeleteAsync(cancellationToken);
        await db.CodeBudget.Where(b => b.Hour < before).ExecuteDeleteAsync(cancellationToken);
        await db.IpPasswordFailures.Where(f => f.At < before).ExecuteDeleteAsync(cancellationToken); // no tenant's either
        await PasswordResets.PurgeSpentAsync<PasswordResetRequest, PasswordResetToken>(db, clock, cancellationToken); // as staff's
        return Unit.Value;
    }
}

public static class SpentRecordsCleanup
{
    public const string RecurringJobId = "portal-auth:spent-records-cleanup";

    /// <summary>Hourly; <c>PortalAuth:SpentRecordsCleanupCron</c> changes it.</summary>
    public static IServiceCollection AddSpentRecordsCleanup(this IServiceCollection services) =>
        services.AddTenantSweep<PurgeSpentSignInRecords>(RecurringJobId, "PortalAuth:SpentRecordsCleanupCron", "43 * * * *");
}
