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

/// <summary>Price is null (left out) when the business hides prices.</summary>
public sealed record PortalService(
    Guid Id,
    string Name,
    string Description,
    int DurationMinutes,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] MoneyResponse? Price,
    IReadOnlyList<PortalDiary> Diaries);

public sealed record PortalServiceList(IReadOnlyList<PortalService> Items);

/// <summary>What a visitor may book: services online and not retired, with the active diaries that provide them online.</summary>
public sealed record ListPortalServices : IQuery<PortalServiceList>;

public sealed class ListPortalServicesHandler(ISender sender) : IQueryHandler<ListPortalServices, PortalServiceList>
{
    public async ValueTask<PortalServiceList> Handle(ListPortalServices query, CancellationToken cancellationToken)
    {
        var settings = await sender.Send(new GetPortalSettings(), cancellationToken);
        var services = await sender.Send(new GetServices(OnlineOnly: true), cancellationToken);
        var diaries = (await sender.Send(new GetDiaries(null), cancellationToken))
            .Where(d => d.Active).ToDictionary(d => d.Id);
        var items = services
            .Select(s => new PortalService(
                s.Id, s.Name, s.Description, s.DurationMinutes,
                settings.ShowPrices ? MoneyResponse.From(s.Price) : null,
                s.DiaryIds.Where(diaries.ContainsKey).Select(id => new PortalDiary(id, diaries[id].Name, diaries[id].Kind)).OrderBy(d => d.Name).ToList()))
            // A service no active diary provides online cannot be booked: not offered.
            .Where(s => s.Diaries.Count > 0)
            .ToList();
        return new PortalServiceList(items);
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
