using Booking.BuildingBlocks.Caching;
using Booking.BuildingBlocks.Contracts;
using Booking.BuildingBlocks.Tenancy;
using Booking.Services.Contracts;
using Booking.Services.Data;
using Booking.Services.Domain;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Booking.Services.Features.Catalogue;

internal static class ServiceViews
{
    public static ServiceView From(Service s, string currency) => new(
        s.Id, s.Name, s.Description, s.DurationMinutes, s.BufferAfterMinutes,
        new Money(s.PriceAmount, currency), s.BookableOnline, s.RetiredAt is not null,
        s.Diaries.Select(d => d.DiaryId).Order().ToList(), s.ForSpecies.ToList());

    public static string Currency(this ITenantContext tenant) =>
        tenant.Current?.Currency ?? throw new InvalidOperationException("No tenant is set.");
}

/// <summary>
/// The business's services with the diaries that provide them, read once and kept as reference data (every
/// availability answer, booking and portal page asks). Shared between requests, so never changed by a reader.
/// </summary>
public sealed class ServiceCatalogueReader(ServicesDbContext db, ITenantContext tenant, ReferenceDataCache cache)
{
    /// <summary>All services, retired ones included, by name then id.</summary>
    public ValueTask<IReadOnlyList<Service>> GetAsync(CancellationToken cancellationToken) =>
        cache.GetOrLoadAsync<IReadOnlyList<Service>>(ServicesDbContext.SchemaName, tenant.TenantId ?? throw new InvalidOperationException("No tenant is set."),
            async ct => await db.Services.AsNoTracking().Include(s => s.Diaries).OrderBy(s => s.Name).ThenBy(s => s.Id).ToListAsync(ct),
            cancellationToken);
}

public sealed class GetServiceHandler(ServiceCatalogueReader catalogue, ITenantContext tenant) : IQueryHandler<GetService, ServiceView?>
{
    public async ValueTask<ServiceView?> Handle(GetService query, CancellationToken cancellationToken)
    {
        var service = (await catalogue.GetAsync(cancellationToken)).FirstOrDefault(s => s.Id == query.Id);
        return service is null ? null : ServiceViews.From(service, tenant.Currency());
    }
}

public sealed class GetServicesHandler(ServiceCatalogueReader catalogue, ITenantContext tenant) : IQueryHandler<GetServices, IReadOnlyList<ServiceView>>
{
    public async ValueTask<IReadOnlyList<ServiceView>> Handle(GetServices query, CancellationToken cancellationToken)
    {
        IEnumerable<Service> services = await catalogue.GetAsync(cancellationToken);
        if (query.OnlineOnly)
        {
            services = services.Where(s => s.BookableOnline && s.RetiredAt == null);
        }

        var currency = tenant.Currency();
        return services.Select(s => ServiceViews.From(s, currency)).ToList();
    }
}
