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
        s.Diaries.Select(d => d.DiaryId).Order().ToList());

    public static string Currency(this ITenantContext tenant) =>
        tenant.Current?.Currency ?? throw new InvalidOperationException("No tenant is set.");
}

public sealed class GetServiceHandler(ServicesDbContext db, ITenantContext tenant) : IQueryHandler<GetService, ServiceView?>
{
    public async ValueTask<ServiceView?> Handle(GetService query, CancellationToken cancellationToken)
    {
        var service = await db.Services.AsNoTracking().Include(s => s.Diaries)
            .FirstOrDefaultAsync(s => s.Id == query.Id, cancellationToken);
        return service is null ? null : ServiceViews.From(service, tenant.Currency());
    }
}

public sealed class GetServicesHandler(ServicesDbContext db, ITenantContext tenant) : IQueryHandler<GetServices, IReadOnlyList<ServiceView>>
{
    public async ValueTask<IReadOnlyList<ServiceView>> Handle(GetServices query, CancellationToken cancellationToken)
    {
        var services = db.Services.AsNoTracking().Include(s => s.Diaries).AsQueryable();
        if (query.OnlineOnly)
        {
            services = services.Where(s => s.BookableOnline && s.RetiredAt == null);
        }

        var list = await services.OrderBy(s => s.Name).ThenBy(s => s.Id).ToListAsync(cancellationToken);
        var currency = tenant.Currency();
        return list.Select(s => ServiceViews.From(s, currency)).ToList();
    }
}
