using Booking.BuildingBlocks.Web;
using Booking.Roster.Contracts;
using Booking.Services.Contracts;
using Booking.Services.Features.Catalogue;
using Booking.Tenancy.Contracts;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Booking.Services.Features.Portal;

/// <summary>A diary offering a service at the portal; <c>kind</c> <c>person</c> or <c>resource</c> (a room or equipment; decision 280).</summary>
public sealed record PortalDiary(Guid Id, string Name, string Kind = DiaryKinds.Person);

/// <summary>
/// Price is null (left out) when the business hides prices. ForSpecies: the animals the service is for (empty: any;
/// <see cref="SpeciesFit"/>).
/// </summary>
public sealed record PortalService(
    Guid Id,
    string Name,
    string Description,
    int DurationMinutes,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] MoneyResponse? Price,
    IReadOnlyList<PortalDiary> Diaries,
    IReadOnlyList<string> ForSpecies)
{
    /// <summary>A pet of this species may be booked for it (<see cref="SpeciesFit.Fits"/>).</summary>
    public bool Fits(string? species) => SpeciesFit.Fits(ForSpecies, species);
}

public sealed record PortalServiceList(IReadOnlyList<PortalService> Items);

/// <summary>What a visitor may book: services online and not retired, with the active diaries that provide them online.</summary>
public sealed record ListPortalServices : IQuery<PortalServiceList>;

public sealed class ListPortalServicesHandler(ISender sender) : IQueryHandler<ListPortalServices, PortalServiceList>
{
    public async ValueTask<PortalServiceList> Handle(ListPortalServices query, CancellationToken cancellationToken)
    {
        var settings = await sender.Send(new GetPortalSettings(), cancellationToken);
        var items = (await OnlineOffer.ReadAsync(sender, cancellationToken))
            .Select(o => new PortalService(
                o.Service.Id, o.Service.Name, o.Service.Description, o.Service.DurationMinutes,
                settings.ShowPrices ? MoneyResponse.From(o.Service.Price) : null,
                o.Diaries.Select(d => new PortalDiary(d.Id, d.Name, d.Kind)).OrderBy(d => d.Name).ToList(), o.Service.ForSpecies))
            .ToList();
        return new PortalServiceList(items);
    }
}

/// <summary>The ids of <see cref="OnlineOffer"/>'s services, for other modules (decision 329).</summary>
public sealed class GetServicesOfferedOnlineHandler(ISender sender) : IQueryHandler<GetServicesOfferedOnline, IReadOnlyList<Guid>>
{
    public async ValueTask<IReadOnlyList<Guid>> Handle(GetServicesOfferedOnline query, CancellationToken cancellationToken) =>
        (await OnlineOffer.ReadAsync(sender, cancellationToken)).Select(o => o.Service.Id).ToList();
}

/// <summary>
/// What a client could book online now, the one rule for the portal's service list and <see cref="GetServicesOfferedOnline"/>:
/// services bookable online and not retired, each with the active diaries that provide it online; a service no active
/// diary provides cannot be booked, so is not offered. Both reads are reference data kept in memory (no statement);
/// the diaries are not read when no service is online.
/// </summary>
internal static class OnlineOffer
{
    public static async Task<IReadOnlyList<(ServiceView Service, IReadOnlyList<DiaryView> Diaries)>> ReadAsync(ISender sender, CancellationToken ct)
    {
        var services = await sender.Send(new GetServices(OnlineOnly: true), ct);
        if (services.Count == 0)
        {
            return [];
        }

        var diaries = (await sender.Send(new GetDiaries(null), ct)).Where(d => d.Active).ToDictionary(d => d.Id);
        return services
            .Select(s => (Service: s, Diaries: (IReadOnlyList<DiaryView>)s.DiaryIds.Where(diaries.ContainsKey).Select(id => diaries[id]).ToList()))
            .Where(o => o.Diaries.Count > 0)
            .ToList();
    }
}

public static class PortalServicesEndpoint
{
    public static void MapPortalServices(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/portal/services", async (ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new ListPortalServices(), ct)))
            .WithTenantFromQuery()
            .RequirePortalEnabled()
            .WithName("ListPortalServices")
            .WithTags("Portal")
            .Produces<PortalServiceList>();
}
