using Booking.BuildingBlocks.Contracts;
using Booking.BuildingBlocks.Jobs;
using Booking.BuildingBlocks.Security;
using Booking.Tenancy.Data;
using Booking.Tenancy.Domain;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Booking.Tenancy.Features.StaffPasswordReset;

/// <summary>
/// Deletes this tenant's staff forgot-password requests (counted for an hour) and reset links (expired or used) a day
/// after they stop counting, as PortalAuth's sweep does the clients' (<see cref="PasswordResets.PurgeSpentAsync{TRequest, TToken}"/>), and
/// email confirmation links a day after their expiry or use.
/// </summary>
public sealed record PurgeSpentStaffResets : ITenantJob;

public sealed class PurgeSpentStaffResetsHandler(TenancyDbContext db, TimeProvider clock) : ICommandHandler<PurgeSpentStaffResets>
{
    public async ValueTask<Unit> Handle(PurgeSpentStaffResets command, CancellationToken cancellationToken)
    {
        await PasswordResets.PurgeSpentAsync<StaffPasswordResetRequest, StaffPasswordResetToken>(db, clock, cancellationToken);
        // Email confirmation links too, a day after their expiry or use (their 24-hour counts look no further back).
        var before = clock.GetUtcNow() - PasswordResets.Kept;
        await db.StaffEmailConfirmations.Where(t => t.ExpiresAt < before || t.UsedAt < before).ExecuteDeleteAsync(cancellationToken);
        return Unit.Value;
    }
}

public static class SpentStaffResetsCleanup
{
    public const string RecurringJobId = "tenancy:spent-staff-resets-cleanup";

    /// <summary>Hourly; <c>Tenancy:SpentStaffResetsCleanupCron</c> changes it.</summary>
    public static IServiceCollection AddSpentStaffResetsCleanup(this IServiceCollection services) =>
        services.AddTenantSweep<PurgeSpentStaffResets>(RecurringJobId, "Tenancy:SpentStaffResetsCleanupCron", "47 * * * *");
}
