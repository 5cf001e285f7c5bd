using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Time;
using Booking.BuildingBlocks.Web;
using Booking.Services.Contracts;
using Booking.Tenancy.Contracts;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Booking.Tenancy.Features.PortalBusiness;

/// <summary>
/// What the portal shows before anyone signs in; answered even when the portal is off (so it can say so). TimeFormat:
/// the clock the business's times are shown in, "12h" or "24h" (its setting, else its country's usual one).
/// TakingBookings: a client can book online now (the portal on, the "book" level on, and a free time to book, by
/// Services' <see cref="GetOnlineBookability"/>, the rule the portal's pages follow); NotTakingBookingsReason says why
/// not (<see cref="NotBookableReasons"/>), null when it is. DateOrder: how the business's dates are written,
/// "day-first" or "month-first" (its country's, <see cref="DateStyle.ForCountry"/>; no setting), so another front end
/// writes them as the portal's pages and emails do. Address: the business's postal address (Setup → Business details),
/// its lines separated by "\n", null when none (decision 277).
/// </summary>
public sealed record PortalBusinessView(
    string Name,
    string TimeZone,
    BrandingView Branding,
    PortalSignInMethods SignInMethods,
    bool AcceptingNewClients,
    bool ShowPrices,
    bool BooksForPets,
    string BookingInstructions,
    TermsView? Terms,
    PortalAccessLevels AccessLevels,
    CancellationPolicyView CancellationPolicy,
    bool Enabled,
    BusinessContactView Contact,
    string TimeFormat,
    bool TakingBookings,
    string? NotTakingBookingsReason,
    string DateOrder,
    string? Address);

public sealed record GetPortalBusiness : IQuery<PortalBusinessView>;

public sealed class GetPortalBusinessHandler(ISender sender, ITenantContext tenant) : IQueryHandler<GetPortalBusiness, PortalBusinessView>
{
    public async ValueTask<PortalBusinessView> Handle(GetPortalBusiness query, CancellationToken cancellationToken)
    {
        var business = tenant.Current!;
        var s = await sender.Send(new GetPortalSettings(), cancellationToken);
        // The settings first: only a portal open for booking asks whether anything is free (kept, so no query either way).
        var notTaking = !s.Enabled ? NotBookableReasons.PortalDisabled
            : !s.AccessLevels.Book ? NotBookableReasons.AccessLevelOff
            : (await sender.Send(new GetOnlineBookability(), cancellationToken)).Reason;
        // New clients join only while they can book (decision 250): the facts say what registration will answer.
        return new PortalBusinessView(business.Name, business.TimeZone, s.Branding, s.SignInMethods, s.AcceptingNewClients && s.AccessLevels.Book,
            s.ShowPrices, s.BooksForPets, s.BookingInstructions, s.Terms, s.AccessLevels, s.CancellationPolicy, s.Enabled, s.Contact,
            s.TimeFormatInEffect, notTaking is null, notTaking, DateStyle.ForCountry(business.CountryCode).IsMonthFirst ? "month-first" : "day-first",
            business.Address);
    }
}

public static class PortalBusinessEndpoint
{
    public static void MapPortalBusiness(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/portal/business", async (ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new GetPortalBusiness(), ct)))
            .WithTenantFromQuery() // not RequirePortalEnabled: a switched-off portal still shows a clear page
            .WithName("GetPortalBusiness")
            .WithTags("Portal")
            .Produces<PortalBusinessView>();
}
