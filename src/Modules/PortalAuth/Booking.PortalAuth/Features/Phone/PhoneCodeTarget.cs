using Booking.BuildingBlocks.Phones;
using Booking.BuildingBlocks.Tenancy;
using Booking.PortalAuth.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Booking.PortalAuth.Features.Phone;

/// <summary>
/// For the code pages: the number an attempt's code went to, masked in the business's way of writing it ("(•••) •••-•188",
/// <see cref="PhoneDisplay.Mask"/>), so the client can see a mistyped
/// number; null for an unknown or already verified attempt. Without <paramref name="ClientId"/> a phone sign-in's
/// attempt (no client bound to it); with it, that signed-in client's attempt to prove a mobile (Your details), never
/// another's. Masked, not in full: the attempt id travels in the page's address.
/// </summary>
public sealed record GetPhoneCodeTarget(string? AttemptId, Guid? ClientId = null) : IQuery<string?>;

public sealed class GetPhoneCodeTargetHandler(PortalAuthDbContext db, ITenantContext tenant) : IQueryHandler<GetPhoneCodeTarget, string?>
{
    public async ValueTask<string?> Handle(GetPhoneCodeTarget query, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(query.AttemptId, out var id))
        {
            return null;
        }

        var mobile = await db.Attempts.AsNoTracking()
            .Where(a => a.Id == id && a.ClientId == query.ClientId && a.VerifiedAt == null)
            .Select(a => a.Mobile)
            .FirstOrDefaultAsync(cancellationToken);
        return mobile is null ? null : PhoneDisplay.Mask(mobile, tenant.Current?.CountryCode);
    }
}
