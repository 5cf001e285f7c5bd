using Booking.PortalAuth.Data;
using Booking.PortalAuth.Domain;
using Microsoft.EntityFrameworkCore;

namespace Booking.PortalAuth.Features.Me;

/// <summary>
/// How many pet rows one client may make through the portal, removed pets included (decision 322).
/// <see cref="Features.NewClient.PetRules.MaxPerClient"/> counts only pets on file, and a removed pet's row stays (its
/// appointments still name it), so without this add-then-remove in a loop would grow the client's rows without end,
/// each with up to 2,000 characters of notes, and every merge and staff read of the client would carry them. At
/// <see cref="MaxRowsPerClient"/> rows the client's own add is refused on <c>name</c> with the limit in its words (staff
/// may still add: the business knows its clients). Counted in the add's transaction, after the client's row is locked
/// (<see cref="Features.NewClient.PetRules.HasRoomAsync"/>), so adds at the same moment take turns.
/// </summary>
public static class PetRowLimit
{
    /// <summary>Four times the 50 on file: a household that changes its pets over many years never meets it.</summary>
    public const int MaxRowsPerClient = 200;

    /// <summary>Whether the client may add another pet row: their pets, removed ones included, are fewer than the limit.</summary>
    public static async Task<bool> HasRoomAsync(PortalAuthDbContext db, Guid clientId, CancellationToken cancellationToken) =>
        await db.Pets.IgnoreQueryFilters([Pet.OnFile]).CountAsync(p => p.ClientId == clientId, cancellationToken) < MaxRowsPerClient;

    /// <summary>The refusal's words, on <c>name</c>.</summary>
    public static string Refusal =>
        $"You have added {MaxRowsPerClient} pets over time, counting those you removed, which is as many as you can add online; ask the business to add another.";
}
