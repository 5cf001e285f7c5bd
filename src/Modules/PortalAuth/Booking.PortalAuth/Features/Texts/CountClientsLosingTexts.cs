using Booking.BuildingBlocks.Phones;
using Booking.PortalAuth.Contracts;
using Booking.PortalAuth.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Booking.PortalAuth.Features.Texts;

/// <summary>
/// <see cref="CountClientsLosingTexts"/>: the business's mobiles that sign in or are texted (the tenant filter keeps them
/// to the current business), each judged by the rule every text follows under both lists. Countries share calling codes
/// (+44: the United Kingdom, Jersey, Guernsey, the Isle of Man), so the number's own region decides, as it does for a
/// code; this is why the mobiles are read rather than counted by prefix. Asked only when a save would change the list.
/// </summary>
public sealed class CountClientsLosingTextsHandler(PortalAuthDbContext db) : IQueryHandler<CountClientsLosingTexts, int>
{
    public async ValueTask<int> Handle(CountClientsLosingTexts query, CancellationToken cancellationToken)
    {
        var mobiles = await db.Clients.AsNoTracking()
            .Where(c => c.Mobile != null && (c.MobileVerified || c.Email == null))
            .Select(c => c.Mobile!)
            .ToListAsync(cancellationToken);
        return mobiles.Count(m => SmsCountries.Allows(query.From, m) && !SmsCountries.Allows(query.To, m));
    }
}
