//! Walking every page of a paginated operation.
//!
//! Plaid pages lists in two ways, and the generator finds both in the spec:
//!
//! - **count/offset** (`/transactions/get`, `/transfer/list`, …): the
//!   request has `count` and `offset` (at the top or in `options`), the
//!   answer a list and often a total or `has_more`;
//! - **cursor** (`/identity_verification/list`, `/wallet/transaction/list`,
//!   …): the request has `cursor`, the answer `next_cursor`.
//!
//! The builder of every such operation has `into_stream()`, a [`Stream`]
//! that fetches pages lazily, in order, with the largest page size the spec
//! allows, and `collect_all()`, which gathers them into one `Vec`. Paging
//! stops at the reported total, at `has_more: false`, at a short page when
//! the answer says neither, or when the cursor runs out (or repeats). An
//! error ends the stream with that error. The `/…/sync` operations have
//! [`TransactionsSync`](crate::transactions_sync::TransactionsSync) instead.
//!
//! ```no_run
//! # async fn run(client: plaid_core::Client) -> Result<(), plaid_core::Error> {
//! let start = time::macros::date!(2024 - 01 - 01);
//! let end = time::macros::date!(2024 - 12 - 31);
//! let all = client
//!     .transactions()
//!     .get("access-sandbox-…")
//!     .start_date(start)
//!     .end_date(end)
//!     .collect_all()
//!     .await?;
//! println!("{} transactions", all.len());
//! # Ok(()) }
//! ```

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

pub use futures_core::Stream;

use crate::call_options::CallOptions;
use crate::request::{CustomizedCall, IntoCall};
use crate::{Call, Client, Error, PlaidRequest};

/// How an operation pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PageStyle {
    /// `count` and `offset` in the request.
    CountOffset,
    /// `cursor` in the request, `next_cursor` in the answer.
    Cursor,
    /// `/transactions/sync` and `/processor/transactions/sync`: a cursor
    /// over changes, run by
    /// [`TransactionsSync`](crate::transactions_sync::TransactionsSync).
    Sync,
}

/// Where the next page starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PagePosition<C> {
    /// Items to skip (count/offset operations).
    Offset(i64),
    /// The cursor to send; `None` for the first page.
    Cursor(Option<C>),
}

/// One page as read from an answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<I, C> {
    /// The page's items.
    pub items: Vec<I>,
    /// The total the service reports, if the answer has one.
    pub total: Option<i64>,
    /// `has_more`, if the answer has it.
    pub has_more: Option<bool>,
    /// The cursor of the next page (cursor operations; `None` when empty).
    pub next_cursor: Option<C>,
}

/// A paginated operation: how to ask for a page and read one. Implemented
/// by the generator for every count/offset and cursor operation.
pub trait Paginated: PlaidRequest + Clone + 'static {
    /// What the pages hold.
    type Item: Send + 'static;
    /// The cursor's type (`()` for count/offset operations).
    type Cursor: Clone + PartialEq + Send + Sync + 'static;
    /// How it pages.
    const STYLE: PageStyle;
    /// The largest page the spec allows (`0` when the request has no
    /// `count`).
    const MAX_PAGE: i64;
    /// Where paging starts: offset 0, or the cursor set on the request.
    fn start(&self) -> PagePosition<Self::Cursor>;
    /// Sets the page size (if the request has one) and where the page
    /// starts.
    fn set_page(&mut self, count: i64, at: &PagePosition<Self::Cursor>);
    /// Reads a page out of an answer.
    fn page(response: Self::Response) -> Page<Self::Item, Self::Cursor>;
}

/// The most items [`Pages::collect_all`] reserves room for up front, however
/// large a total the service reports; past it the result grows as usual.
const MAX_RESERVED_ITEMS: usize = 100_000;

type PageFuture<R> =
    Pin<Box<dyn Future<Output = Result<<R as PlaidRequest>::Response, Error>> + Send>>;

/// A [`Stream`] of every item of a paginated operation. From a builder's
/// `into_stream()` or [`Call::into_stream`].
#[must_use = "a stream does nothing until polled"]
pub struct Pages<R: Paginated> {
    state: Option<(Client, R, CallOptions)>,
    position: PagePosition<R::Cursor>,
    total: Option<i64>,
    buffered: VecDeque<R::Item>,
    in_flight: Option<PageFuture<R>>,
    failed: Option<Error>,
    done: bool,
}

impl<R: Paginated> Pages<R> {
    fn new(call: Call<R>) -> Self {
        let (client, request, options) = call.into_parts();
        Self {
            position: request.start(),
            state: Some((client, request, options)),
            total: None,
            buffered: VecDeque::new(),
            in_flight: None,
            failed: None,
            done: false,
        }
    }

    /// Pages of `call`, or a stream that yields `error` once (a builder
    /// whose required fields are not all set).
    fn from_result(call: Result<Call<R>, Error>) -> Self {
        match call {
            Ok(call) => Self::new(call),
            Err(error) => Self {
                state: None,
                position: PagePosition::Offset(0),
                total: None,
                buffered: VecDeque::new(),
                in_flight: None,
                failed: Some(error),
                done: true,
            },
        }
    }

    fn fetch(&self) -> Option<PageFuture<R>> {
        let (client, request, options) = self.state.as_ref()?;
        let mut request = request.clone();
        request.set_page(R::MAX_PAGE, &self.position);
        let (client, options) = (client.clone(), options.clone());
        Some(Box::pin(async move {
            client.send_with_options(&request, &options).await
        }))
    }

    /// Records a fetched page, and whether it was the last one; returns its
    /// items.
    fn absorb(&mut self, response: R::Response) -> Vec<R::Item> {
        let page = R::page(response);
        let fetched = page.items.len() as i64;
        self.total = page.total.or(self.total);
        let finished_by_flag = page.has_more == Some(false);
        match &mut self.position {
            PagePosition::Offset(offset) => {
                *offset += fetched;
                let reached_total = page.total.is_some_and(|total| *offset >= total);
                // Without a total or has_more, a short page is the last.
                let short = page.total.is_none()
                    && page.has_more.is_none()
                    && (R::MAX_PAGE == 0 || fetched < R::MAX_PAGE);
                if fetched == 0 || reached_total || finished_by_flag || short {
                    self.done = true;
                }
            }
            PagePosition::Cursor(cursor) => match page.next_cursor {
                Some(next) if cursor.as_ref() != Some(&next) && !finished_by_flag => {
                    *cursor = Some(next);
                }
                _ => self.done = true,
            },
        }
        page.items
    }

    /// The total number of items the service reported with the last page,
    /// if it reports one and a page has been fetched.
    pub fn total(&self) -> Option<i64> {
        self.total
    }

    /// The rest of the current page, or else the next page, whole; `None`
    /// at the end. An error ends the pages.
    ///
    /// ```no_run
    /// # async fn run(client: plaid_core::Client) -> Result<(), plaid_core::Error> {
    /// # let (start, end) = (time::macros::date!(2024 - 01 - 01), time::macros::date!(2024 - 12 - 31));
    /// let mut pages = client
    ///     .transactions()
    ///     .get("access-sandbox-…")
    ///     .start_date(start)
    ///     .end_date(end)
    ///     .into_stream();
    /// while let Some(page) = pages.next_page().await {
    ///     let page = page?;
    ///     println!("{} transactions of {:?}", page.len(), pages.total());
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn next_page(&mut self) -> Option<Result<Vec<R::Item>, Error>> {
        if let Some(error) = self.failed.take() {
            return Some(Err(error));
        }
        if !self.buffered.is_empty() {
            return Some(Ok(self.buffered.drain(..).collect()));
        }
        if self.done {
            return None;
        }
        let in_flight = self.in_flight.take().or_else(|| self.fetch())?;
        match in_flight.await {
            Ok(response) => Some(Ok(self.absorb(response))),
            Err(error) => {
                self.done = true;
                Some(Err(error))
            }
        }
    }

    /// The next item, fetching the next page when needed; `None` at the
    /// end. The same as `StreamExt::next` without needing `futures`.
    pub async fn next(&mut self) -> Option<Result<R::Item, Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Every item of every page, fetched in order with the largest page
    /// size.
    ///
    /// Room for the reported total is reserved once, after the first page
    /// (up to 100,000 items), so the result is never copied while
    /// it grows.
    pub async fn collect_all(mut self) -> Result<Vec<R::Item>, Error> {
        let mut all = Vec::new();
        while let Some(page) = self.next_page().await {
            let page = page?;
            if all.capacity() == 0 {
                let total = self.total().and_then(|t| usize::try_from(t).ok());
                all.reserve_exact(total.unwrap_or(0).min(MAX_RESERVED_ITEMS).max(page.len()));
            }
            all.extend(page);
        }
        Ok(all)
    }
}

impl<R: Paginated> Unpin for Pages<R> {}

impl<R: Paginated> Stream for Pages<R> {
    type Item = Result<R::Item, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if let Some(error) = self.failed.take() {
            return Poll::Ready(Some(Err(error)));
        }
        loop {
            if let Some(item) = self.buffered.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            if self.done {
                return Poll::Ready(None);
            }
            if self.in_flight.is_none() {
                let future = self.fetch();
                self.in_flight = future;
            }
            let Some(future) = self.in_flight.as_mut() else {
                self.done = true;
                continue;
            };
            match future.as_mut().poll(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(result) => {
                    self.in_flight = None;
                    match result {
                        Ok(response) => {
                            let items = self.absorb(response);
                            self.buffered.extend(items);
                        }
                        Err(error) => {
                            self.done = true;
                            return Poll::Ready(Some(Err(error)));
                        }
                    }
                }
            }
        }
    }
}

impl<R: Paginated> Call<R> {
    /// Every item of every page, as a [`Stream`] that fetches pages lazily.
    pub fn into_stream(self) -> Pages<R> {
        Pages::new(self)
    }

    /// Every item of every page; see [`Pages::collect_all`].
    pub async fn collect_all(self) -> Result<Vec<R::Item>, Error> {
        self.into_stream().collect_all().await
    }
}

impl<B> CustomizedCall<B>
where
    B: IntoCall,
    B::Request: Paginated,
{
    /// Every item of every page, as a [`Stream`] that fetches pages lazily
    /// with the largest page size; every page with this call's options.
    pub fn into_stream(self) -> Pages<B::Request> {
        Pages::from_result(self.into_paging_call())
    }

    /// Every item of every page; see [`Pages::collect_all`].
    pub async fn collect_all(self) -> Result<Vec<<B::Request as Paginated>::Item>, Error> {
        self.into_stream().collect_all().await
    }
}
