using System.Globalization;
using Booking.BuildingBlocks.Contracts;
using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Web;
using Booking.Services.Contracts;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Booking.Services.Features.Catalogue;

/// <summary>Money on the wire: the amount as a string with the currency's decimals (JPY "1500", AUD "45.00", KWD "1.125").</summary>
public sealed record MoneyResponse(string Amount, string Currency)
{
    public static MoneyResponse From(Money money) => new(money.Format(), money.Currency);

    /// <summary>For pages that hold the answer: the price as people read it (<see cref="Money.Display"/>).</summary>
    public string Display(string? countryCode) =>
        new Money(decimal.Parse(Amount, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture), Currency)
            .Display(countryCode);
}

public sealed record ServiceResponse(
    Guid Id,
    string Name,
    string Description,
    int DurationMinutes,
    int BufferAfterMinutes,
    MoneyResponse Price,
    bool BookableOnline,
    bool Retired,
    IReadOnlyList<Guid> DiaryIds,
    IReadOnlyList<string> ForSpecies)
{
    public static ServiceResponse From(ServiceView s) => new(
        s.Id, s.Name, s.Description, s.DurationMinutes, s.BufferAfterMinutes, MoneyResponse.From(s.Price), s.BookableOnline, s.Retired, s.DiaryIds, s.ForSpecies);
}

public sealed record ServiceList(IReadOnlyList<ServiceResponse> Items);

public static class ServicesEndpoints
{
    private static Guid ParseId(string id) =>
        ProblemException.IdOrNotFound(id, "Service not found.");

    public static void MapServices(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/admin/services").RequireStaff(StaffRoles.Setup).WithTags("Setup");

        group.MapGet("", async (ISender sender, CancellationToken ct) =>
                Results.Ok(new ServiceList((await sender.Send(new GetServices(false), ct)).Select(ServiceResponse.From).ToList())))
            .WithName("ListServices")
            .Produces<ServiceList>();

        group.MapPost("", async (ServiceInput body, ISender sender, CancellationToken ct) =>
            {
                var created = ServiceResponse.From(await sender.Send(CreateService.From(body), ct));
                return Results.Created($"/api/v1/admin/services/{created.Id}", created);
            })
            .WithName("CreateService")
            .Accepts<ServiceInput>("application/json")
            .Produces<ServiceResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem();

        group.MapGet("/{id}", async (string id, ISender sender, CancellationToken ct) =>
            {
                var service = await sender.Send(new GetService(ParseId(id)), ct) ?? throw ProblemException.NotFound("Service not found.");
                return Results.Ok(ServiceResponse.From(service));
            })
            .WithName("GetService")
            .Produces<ServiceResponse>();

        group.MapPut("/{id}", async (string id, ServiceInput body, ISender sender, CancellationToken ct) =>
                Results.Ok(ServiceResponse.From(await sender.Send(UpdateService.From(ParseId(id), body), ct))))
            .WithName("UpdateService")
            .Accepts<ServiceInput>("application/json")
            .Produces<ServiceResponse>()
            .ProducesValidationProblem();

        group.MapDelete("/{id}", async (string id, ISender sender, CancellationToken ct) =>
            {
                await sender.Send(new RetireService(ParseId(id)), ct);
                return Results.NoContent();
            })
            .WithName("RetireService")
            .WithSummary("Retires the service: it is no longer offered, and keeps its data for past appointments.")
            .Produces(StatusCodes.Status204NoContent);

        group.MapPost("/{id}/restore", async (string id, ISender sender, CancellationToken ct) =>
                Results.Ok(ServiceResponse.From(await sender.Send(new RestoreService(ParseId(id)), ct))))
            .WithName("RestoreService")
            .WithSummary("Offers a retired service again, as it was when retired. Repeat-safe.")
            .Produces<ServiceResponse>();
    }
}
