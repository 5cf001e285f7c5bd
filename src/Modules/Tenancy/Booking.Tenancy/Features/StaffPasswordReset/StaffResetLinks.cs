using Booking.BuildingBlocks.Security;
using Booking.Tenancy.Data;

namespace Booking.Tenancy.Features.StaffPasswordReset;

/// <summary>
/// Staff password reset links (email links, of both uses, are <see cref="StaffEmailConfirmation.StaffEmailConfirmationLinks"/>),
/// ended when the Data Protection keys are revoked (<see cref="IEmailedLinks"/>).
/// </summary>
public sealed class StaffResetLinks(TenancyDbContext db) : IEmailedLinks
{
    public string What => "staff password reset link";

    public Task<int> EndUsableAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        EmailedLinks.EndUsableResetLinksAsync(db.StaffResetTokens, now, cancellationToken);
}
